import { useTranslation } from 'react-i18next';
import { useFormat } from '../lib/format';

/**
 * |A|, |B| and |A∩B| as two overlapping circles (areas roughly proportional); a suppressed count
 * is drawn hatched and labelled as such rather than guessed.
 */
export function MergeVenn({
  ours,
  theirs,
  both,
  partner,
}: {
  ours: number | null;
  theirs: number | null;
  both: number | null;
  partner: string;
}) {
  const { t } = useTranslation();
  const { number } = useFormat();
  const show = (v: number | null) => (v === null ? t('marketing.merges.suppressed') : number(v));
  const largest = Math.max(ours ?? 1, theirs ?? 1, 1);
  const radius = (v: number | null) => 40 + 60 * Math.sqrt((v ?? largest / 2) / largest);
  const ra = radius(ours);
  const rb = radius(theirs);
  // The closer the circles, the bigger the overlap's share of the smaller segment.
  const share = both === null || !ours || !theirs ? 0.3 : Math.min(1, both / Math.min(ours, theirs));
  const distance = ra + rb - 2 * Math.min(ra, rb) * share * 0.9 - 4;
  const cx = 130;
  const width = cx + distance + rb + 30;
  const summary = t('marketing.merges.vennAria', {
    ours: show(ours),
    theirs: show(theirs),
    both: show(both),
    partner,
  });
  return (
    <svg
      viewBox={`0 0 ${width} 240`}
      width="100%"
      style={{ maxWidth: 520 }}
      role="img"
      aria-label={summary}
      data-testid="merge-venn"
    >
      <defs>
        <pattern
          id="suppressed-hatch"
          width="8"
          height="8"
          patternUnits="userSpaceOnUse"
          patternTransform="rotate(45)"
        >
          <rect width="8" height="8" fill="#f1f3f5" />
          <line x1="0" y1="0" x2="0" y2="8" stroke="#868e96" strokeWidth="3" />
        </pattern>
      </defs>
      <circle
        cx={cx}
        cy={120}
        r={ra}
        fill={ours === null ? 'url(#suppressed-hatch)' : '#3b5bdb'}
        fillOpacity={0.35}
        stroke="#364fc7"
        strokeWidth={2}
      />
      <circle
        cx={cx + distance}
        cy={120}
        r={rb}
        fill={theirs === null ? 'url(#suppressed-hatch)' : '#e8590c'}
        fillOpacity={0.35}
        stroke="#d9480f"
        strokeWidth={2}
      />
      <text x={cx - ra / 2} y={115} textAnchor="middle" fontSize={13} fill="#212529">
        {t('marketing.merges.ours')}
      </text>
      <text x={cx - ra / 2} y={135} textAnchor="middle" fontSize={15} fontWeight={700} fill="#212529">
        {show(ours)}
      </text>
      <text x={cx + distance + rb / 2} y={115} textAnchor="middle" fontSize={13} fill="#212529">
        {partner}
      </text>
      <text
        x={cx + distance + rb / 2}
        y={135}
        textAnchor="middle"
        fontSize={15}
        fontWeight={700}
        fill="#212529"
      >
        {show(theirs)}
      </text>
      <text x={(cx + ra + cx + distance - rb) / 2} y={115} textAnchor="middle" fontSize={13} fill="#212529">
        A∩B
      </text>
      <text
        x={(cx + ra + cx + distance - rb) / 2}
        y={135}
        textAnchor="middle"
        fontSize={15}
        fontWeight={700}
        fill="#212529"
      >
        {show(both)}
      </text>
    </svg>
  );
}
