// Lets a wide table scroll sideways inside the page (between the phone and desktop layouts) instead of widening it.
import { type ReactNode, useEffect, useRef, useState } from 'react';

/**
 * While the table is wider than the page, the wrapper is a focusable, labelled region so that
 * keyboard users can scroll it with the arrow keys; when it fits, it adds no tab stop.
 */
export function TableScroll({ label, children }: { label: string; children: ReactNode }) {
  const box = useRef<HTMLDivElement>(null);
  const [overflows, setOverflows] = useState(false);

  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const measure = () => setOverflows(element.scrollWidth > element.clientWidth + 1);
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    if (element.firstElementChild) observer.observe(element.firstElementChild);
    return () => observer.disconnect();
  }, []);

  return (
    <div
      ref={box}
      className="table-scroll"
      role={overflows ? 'region' : undefined}
      aria-label={overflows ? `${label}, scrolls sideways` : undefined}
      tabIndex={overflows ? 0 : undefined}
    >
      {children}
    </div>
  );
}
