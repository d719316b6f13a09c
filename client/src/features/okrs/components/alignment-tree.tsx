import { Link, useNavigate } from '@tanstack/react-router';
import { type KeyboardEvent, useMemo, useRef, useState } from 'react';

import { HealthBadge, StaleFlag } from '@/components/ui/health-badge';
import type { AlignmentNode } from '@/lib/api/types';
import { progressText } from '@/lib/okr-health';

/** The nodes shown when some are collapsed: a node is visible when none of its ancestors is collapsed. */
export function visibleNodes(nodes: readonly AlignmentNode[], collapsed: ReadonlySet<string>): AlignmentNode[] {
  const shown: AlignmentNode[] = [];
  let hiddenBelow: number | undefined; // depth of the collapsed node whose subtree is being skipped
  for (const node of nodes) {
    if (hiddenBelow !== undefined && node.depth > hiddenBelow) continue;
    hiddenBelow = undefined;
    shown.push(node);
    if (collapsed.has(node.id) && node.childCount > 0) hiddenBelow = node.depth;
  }
  return shown;
}

/**
 * S7's outline, drawn straight from the API's depth-first list: role=tree with aria-level, one Tab stop (roving
 * tabindex), arrows move, ArrowRight expands or enters, ArrowLeft collapses or goes to the parent, Home/End, Enter
 * opens the objective. Objectives of an enclosing cycle are marked, since they are not this cycle's.
 */
export function AlignmentTree({ nodes, label, cycleNames }: { nodes: AlignmentNode[]; label: string; cycleNames: Map<string, string> }) {
  const [collapsed, setCollapsed] = useState<Set<string>>(() => new Set());
  const [active, setActive] = useState<string | undefined>(nodes[0]?.id);
  const refs = useRef(new Map<string, HTMLLIElement>());
  const navigate = useNavigate();
  const shown = useMemo(() => visibleNodes(nodes, collapsed), [nodes, collapsed]);
  const byId = useMemo(() => new Map(nodes.map((n) => [n.id, n])), [nodes]);
  const setSize = useMemo(() => {
    const sizes = new Map<string, { size: number; index: Map<string, number> }>();
    for (const n of nodes) {
      const key = n.depth === 0 ? '' : (n.parentObjectiveId ?? '');
      const entry = sizes.get(key) ?? { size: 0, index: new Map() };
      entry.size += 1;
      entry.index.set(n.id, entry.size);
      sizes.set(key, entry);
    }
    return (n: AlignmentNode) => {
      const entry = sizes.get(n.depth === 0 ? '' : (n.parentObjectiveId ?? ''))!;
      return { size: entry.size, pos: entry.index.get(n.id)! };
    };
  }, [nodes]);

  const focus = (id: string | undefined) => {
    if (!id) return;
    setActive(id);
    refs.current.get(id)?.focus();
  };
  const toggle = (id: string, open: boolean) =>
    setCollapsed((s) => {
      const next = new Set(s);
      if (open) next.delete(id);
      else next.add(id);
      return next;
    });

  const onKeyDown = (event: KeyboardEvent, node: AlignmentNode) => {
    const i = shown.findIndex((n) => n.id === node.id);
    const expanded = node.childCount > 0 && !collapsed.has(node.id);
    switch (event.key) {
      case 'ArrowDown':
        focus(shown[i + 1]?.id);
        break;
      case 'ArrowUp':
        focus(shown[i - 1]?.id);
        break;
      case 'Home':
        focus(shown[0]?.id);
        break;
      case 'End':
        focus(shown[shown.length - 1]?.id);
        break;
      case 'ArrowRight':
        if (node.childCount === 0) return;
        if (expanded) focus(shown[i + 1]?.id);
        else toggle(node.id, true);
        break;
      case 'ArrowLeft':
        if (expanded) toggle(node.id, false);
        else if (node.depth > 0 && node.parentObjectiveId && byId.has(node.parentObjectiveId)) focus(node.parentObjectiveId);
        else return;
        break;
      case 'Enter':
        void navigate({ to: '/objectives/$objectiveId', params: { objectiveId: node.id } });
        break;
      default:
        return;
    }
    event.preventDefault();
  };

  const current = active && shown.some((n) => n.id === active) ? active : shown[0]?.id;
  return (
    <ul role="tree" aria-label={label} className="alignment-tree">
      {shown.map((n) => {
        const { size, pos } = setSize(n);
        return (
          <li
            key={n.id}
            ref={(el) => {
              if (el) refs.current.set(n.id, el);
              else refs.current.delete(n.id);
            }}
            role="treeitem"
            aria-level={n.depth + 1}
            aria-setsize={size}
            aria-posinset={pos}
            aria-expanded={n.childCount > 0 ? !collapsed.has(n.id) : undefined}
            aria-selected={n.id === current}
            tabIndex={n.id === current ? 0 : -1}
            onKeyDown={(e) => onKeyDown(e, n)}
            onFocus={() => setActive(n.id)}
            className={`tree-node${n.inCycle ? '' : ' enclosing'}`}
            style={{ paddingLeft: `${n.depth * 1.5 + 0.5}rem` }}
            data-objective={n.title}
          >
            {n.childCount > 0 ? (
              <span
                className="twisty"
                aria-hidden="true"
                onClick={(e) => {
                  e.stopPropagation();
                  toggle(n.id, collapsed.has(n.id));
                }}
              >
                {collapsed.has(n.id) ? '▸' : '▾'}
              </span>
            ) : (
              <span className="twisty" aria-hidden="true" />
            )}
            <Link to="/objectives/$objectiveId" params={{ objectiveId: n.id }} tabIndex={-1}>
              {n.title}
            </Link>
            {!n.inCycle && <span className="tag">enclosing cycle {cycleNames.get(n.cycleId) ?? ''}</span>}{' '}
            <HealthBadge health={n.health} /> <StaleFlag stale={n.stale} /> <span className="muted small">{progressText(n.progress, n.expectedProgress)}</span>
          </li>
        );
      })}
    </ul>
  );
}
