export function MeasureIndexPage() {
  return <div class="page"><h1>Målinger</h1></div>;
}
export function MeasureDocPage({ id }: { id: string }) {
  return <div class="page"><h1>{id}</h1></div>;
}
