// The frame every panel shares: a title, one line on what the panel is for, and its body.
import type { ReactNode } from 'react';

export function Panel({ id, title, lede, children }: { id: string; title: string; lede: string; children: ReactNode }) {
  return (
    <section className="panel" data-testid={`panel-${id}`} aria-labelledby={`panel-title-${id}`}>
      <header className="panel-header">
        <h1 id={`panel-title-${id}`}>{title}</h1>
        <p className="lede">{lede}</p>
      </header>
      <div className="panel-body">{children}</div>
    </section>
  );
}

/** What a panel will hold once its issue lands: stated plainly, never faked. */
export function Planned({ issue, items }: { issue: number; items: string[] }) {
  return (
    <div className="card planned" data-testid="planned">
      <h2>Being built (issue #{issue})</h2>
      <p className="muted">This part of the panel is not working yet. It will hold:</p>
      <ul>
        {items.map((item) => (
          <li key={item}>{item}</li>
        ))}
      </ul>
    </div>
  );
}
