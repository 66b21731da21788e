/** The admin preview's notice above every previewed page: sample data, forms that do nothing. */
export function PreviewBanner(props: { text: string }) {
  return (
    <p role="note" data-portico-preview="" className="sticky top-0 z-10 m-0 bg-amber-100 px-4 py-2 text-center font-semibold text-amber-950">
      {props.text}
    </p>
  );
}
