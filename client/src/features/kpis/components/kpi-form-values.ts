import type { Aggregation, Comparator, FedBy, Frequency, Kpi, KpiInput, KpiTarget, ValueType } from '@/lib/api/types';

/** The KPI form as typed: every control's text, named by the API field it fills (so problem paths match). */
export interface KpiFormValues {
  key: string;
  name: string;
  description: string;
  formula: string;
  unit: string;
  valueType: ValueType;
  frequency: Frequency;
  'target.comparator': Comparator;
  'target.value': string;
  'target.low': string;
  'target.high': string;
  'target.warning': string;
  ownerTeamId: string;
  tags: string;
  aggregation: Aggregation;
  fedBy: FedBy;
}

export const kpiFormFields = [
  'key',
  'name',
  'description',
  'formula',
  'unit',
  'valueType',
  'frequency',
  'target.comparator',
  'target.value',
  'target.low',
  'target.high',
  'target.warning',
  'ownerTeamId',
  'tags',
  'aggregation',
  'fedBy',
] as const satisfies readonly (keyof KpiFormValues)[];

export const emptyKpiForm = (ownerTeamId = ''): KpiFormValues => ({
  key: '',
  name: '',
  description: '',
  formula: '',
  unit: '',
  valueType: 'number',
  frequency: 'daily',
  'target.comparator': 'atLeast',
  'target.value': '',
  'target.low': '',
  'target.high': '',
  'target.warning': '',
  ownerTeamId,
  tags: '',
  aggregation: 'last',
  fedBy: 'values',
});

const text = (n: number | null | undefined) => (n === null || n === undefined ? '' : String(n));

export function kpiToForm(kpi: Kpi): KpiFormValues {
  return {
    key: kpi.key,
    name: kpi.name,
    description: kpi.description ?? '',
    formula: kpi.formula ?? '',
    unit: kpi.unit ?? '',
    valueType: kpi.valueType,
    frequency: kpi.frequency,
    'target.comparator': kpi.target.comparator ?? 'atLeast',
    'target.value': text(kpi.target.value),
    'target.low': text(kpi.target.low),
    'target.high': text(kpi.target.high),
    'target.warning': text(kpi.target.warning),
    ownerTeamId: kpi.ownerTeamId ?? '',
    tags: kpi.tags.join(', '),
    aggregation: kpi.aggregation,
    fedBy: kpi.fedBy,
  };
}

/** Which target numbers a comparator uses; the others are not sent. */
export function targetFieldsFor(comparator: Comparator): ('target.value' | 'target.low' | 'target.high' | 'target.warning')[] {
  return comparator === 'between' ? ['target.low', 'target.high', 'target.warning'] : ['target.value', 'target.warning'];
}

/**
 * The request body, or the fields that are not numbers. Everything else (ranges, warning sides, lengths) is the
 * server's to judge: its 400 names the field, and the form shows that message there.
 */
export function formToKpiInput(values: KpiFormValues): { input: KpiInput } | { errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const used = new Set(targetFieldsFor(values['target.comparator']));
  const number = (field: 'target.value' | 'target.low' | 'target.high' | 'target.warning'): number | null => {
    if (!used.has(field)) return null;
    const raw = values[field].trim().replace(/\u2212/g, '-');
    if (raw === '') return null;
    const n = Number(raw);
    if (!Number.isFinite(n) || !/^-?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(raw)) {
      errors[field] = 'Enter a number, such as 2 or -0.5 (with a dot for decimals).';
      return null;
    }
    return n;
  };
  const target: KpiTarget = {
    comparator: values['target.comparator'],
    value: number('target.value'),
    low: number('target.low'),
    high: number('target.high'),
    warning: number('target.warning'),
  };
  if (Object.keys(errors).length > 0) return { errors };
  const optional = (s: string) => (s.trim() === '' ? null : s.trim());
  return {
    input: {
      key: values.key.trim(),
      name: values.name.trim(),
      description: optional(values.description),
      formula: optional(values.formula),
      unit: optional(values.unit),
      valueType: values.valueType,
      frequency: values.frequency,
      target,
      ownerTeamId: values.ownerTeamId || null,
      tags: values.tags
        .split(/[,;|]/)
        .map((t) => t.trim())
        .filter(Boolean),
      aggregation: values.aggregation,
      fedBy: values.fedBy,
    },
  };
}
