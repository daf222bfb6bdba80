// What a list shows when it has nothing: a sentence and, where there is one,
// the action that fills it.
/** @param {{title: string, children?: any}} props */
export function Empty({ title, children }) {
  return (
    <div class="empty">
      <p class="empty-title">{title}</p>
      {children}
    </div>
  );
}

/** Loading and load-failure states of a page section. */
export function Loading({ what = 'Loading' }) {
  return (
    <p class="muted" aria-busy="true">
      {what}…
    </p>
  );
}

/** A load failure in the server's words, with a retry. */
export function LoadError({ error, onRetry }) {
  return (
    <div class="notice notice-error" role="alert">
      <p>{error.message}</p>
      {onRetry && (
        <button type="button" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}
