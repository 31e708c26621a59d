export function DatabankPage() {
  return <div class="page"><h1>Databank</h1></div>;
}
