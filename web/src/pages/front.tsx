export function FrontPage() {
  return <div class="page"><h1>Jobindsigt</h1></div>;
}
