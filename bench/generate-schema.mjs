// A large form for the benchmark: 30 nested groups of 10 fields (≈300), enums of 5 to
// 200 values, patterns, numbers, dates, booleans, and one repeatable group.
export function generateSchema() {
  const countries = Array.from({ length: 200 }, (_, i) => ({ const: `C${String(i).padStart(3, '0')}`, title: `Land ${i}` }));
  const field = (g, f) => {
    const title = `Feld ${g}.${f}`;
    switch (f % 10) {
      case 0:
        return { type: 'string', title, minLength: 2, maxLength: 80 };
      case 1:
        return { type: 'string', title, pattern: '^[0-9]{5}$' };
      case 2:
        return { type: 'string', format: 'email', title };
      case 3:
        return { type: 'integer', title, minimum: 0, maximum: 1000 };
      case 4:
        return { type: 'number', title, exclusiveMinimum: 0 };
      case 5:
        return { type: 'boolean', title };
      case 6:
        return { type: 'string', title, enum: ['a', 'b', 'c', 'd', 'e'] };
      case 7:
        return { type: 'string', title, oneOf: countries.slice(0, 20 + ((g * 17) % 181)) };
      case 8:
        return { type: 'string', format: 'date', title };
      default:
        return { type: 'string', title, maxLength: 500 };
    }
  };
  const group = (g) => ({
    type: 'object',
    title: `Gruppe ${g}`,
    required: [`f${g}-0`, `f${g}-1`, `f${g}-3`, `f${g}-7`],
    properties: Object.fromEntries(Array.from({ length: 10 }, (_, f) => [`f${g}-${f}`, field(g, f)])),
  });
  // 30 groups, nested three deep in blocks of three (group 3k holds 3k+1 which holds 3k+2).
  const properties = {};
  for (let g = 0; g < 30; g += 3) {
    const outer = group(g);
    const middle = group(g + 1);
    middle.properties[`g${g + 2}`] = group(g + 2);
    middle.required.push(`g${g + 2}`);
    outer.properties[`g${g + 1}`] = middle;
    outer.required.push(`g${g + 1}`);
    properties[`g${g}`] = outer;
  }
  properties.liste = {
    type: 'array',
    title: 'Person',
    minItems: 2,
    items: {
      type: 'object',
      required: ['name'],
      properties: { name: { type: 'string', title: 'Name' }, land: { type: 'string', title: 'Land', oneOf: countries } },
    },
  };
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'Benchmark',
    type: 'object',
    required: [...Object.keys(properties)],
    properties,
  };
}

export function countFields(schema) {
  let n = 0;
  const walk = (s) => {
    if (s.type === 'object') Object.values(s.properties).forEach(walk);
    else if (s.type === 'array') n += 2 * (s.minItems ?? 0);
    else n++;
  };
  walk(schema);
  return n;
}
