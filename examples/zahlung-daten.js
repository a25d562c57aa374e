// Example page only: the answers come from the municipality's own system (here: fixed), as a
// CMS page's own script would hand them to <ozg-payment>.
const payment = document.getElementById('zahlung');
payment.data = {
  familienname: 'Muster',
  vornamen: 'Erika',
  geburtsdatum: '1990-01-02',
  anzahl: 2,
  zustellung: 'abholung',
};
