/**
 * Leaving the page for a payment provider: one hook for every element, replaceable by tests
 * and embedders (e.g. to open a popup) through `OzgAntrag.navigate`.
 */
export const navigation = {
  go: (url: string) => window.location.assign(url),
};
