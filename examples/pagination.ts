// Lists are Paginators: iterate items across pages, or pages one by one.
import { Replicate } from 'replikit';

const replicate = new Replicate();
const since = new Date(Date.now() - 24 * 3600 * 1000);

for await (const prediction of replicate.predictions.list({ createdAfter: since })) {
  console.log(prediction.id, prediction.status, prediction.model);
}
for await (const page of replicate.models.list().pages()) {
  console.log('page of', page.results.length, 'models');
  break; // stop after the first page
}
