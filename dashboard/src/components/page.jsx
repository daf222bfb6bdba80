// A page's frame: its <h1> (focused after navigation, so screen readers and
// keyboard users start at the new page), the document title, and an optional
// row of actions beside the heading.
import { useEffect, useRef } from 'preact/hooks';

/** @param {{title: string, actions?: any, children: any, lead?: any}} props */
export function Page({ title, actions, children, lead }) {
  const h1 = useRef(null);
  useEffect(() => {
    document.title = `${title} · vaultedge`;
    // Only move focus after an in-page navigation, not on the first load.
    if (document.body.dataset.navigated) h1.current?.focus();
    document.body.dataset.navigated = '1';
  }, [title]);
  return (
    <section class="page">
      <header class="page-head">
        <h1 ref={h1} tabIndex={-1}>
          {title}
        </h1>
        {actions && <div class="page-actions">{actions}</div>}
      </header>
      {lead && <div class="page-lead">{lead}</div>}
      {children}
    </section>
  );
}
