// Cursor paging for list pages. The API hands back only the next page's cursor, so going back means
// remembering the cursors that led here.
import { useState } from "preact/hooks";

export interface Pages {
  /** The cursor of the page on screen; undefined on the first. */
  cursor: string | undefined;
  /** 1 on the first page. */
  number: number;
  next: (cursor: string) => void;
  previous: () => void;
  /** Back to the first page, e.g. when the filters change. */
  reset: () => void;
}

export function useCursorPages(): Pages {
  const [trail, setTrail] = useState<string[]>([]);
  return {
    cursor: trail[trail.length - 1],
    number: trail.length + 1,
    next: (cursor) => setTrail((t) => [...t, cursor]),
    previous: () => setTrail((t) => t.slice(0, -1)),
    reset: () => setTrail([]),
  };
}

/** Previous / next buttons under a list; nothing when everything fits on one page. */
export function Pager({ pages, nextCursor, what }: { pages: Pages; nextCursor: string | null | undefined; what: string }) {
  if (pages.number === 1 && !nextCursor) return null;
  return (
    <nav class="pager" aria-label={`Pages of ${what}`}>
      <button type="button" class="secondary" disabled={pages.number === 1} onClick={pages.previous}>
        Previous page
      </button>
      <span aria-live="polite">Page {pages.number}</span>
      <button type="button" class="secondary" disabled={!nextCursor} onClick={() => nextCursor && pages.next(nextCursor)}>
        Next page
      </button>
    </nav>
  );
}
