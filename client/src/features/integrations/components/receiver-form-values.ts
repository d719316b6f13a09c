import type { Receiver, ReceiverDefinition, ReceiverPatch } from '@/lib/api/types';

type Output = ReceiverDefinition['outputs'][number];

/** The JMESPath members of an output, in the order the edit form shows them. */
export const outputPaths = ['occurredAt', 'value', 'eventId', 'durationFrom', 'durationTo', 'filter'] as const;
export type OutputPath = (typeof outputPaths)[number];

export type OutputValues = { kpi: string } & Record<OutputPath, string>;

export interface ReceiverFormValues {
  name: string;
  filter: string;
  enabled: boolean;
  outputs: OutputValues[];
}

export const emptyOutput: OutputValues = { kpi: '', occurredAt: '', value: '', eventId: '', durationFrom: '', durationTo: '', filter: '' };

/** The receiver as the edit form's text fields: an absent expression is an empty field. */
export function receiverToForm(receiver: Receiver): ReceiverFormValues {
  return {
    name: receiver.name,
    filter: receiver.definition.filter ?? '',
    enabled: receiver.enabled,
    outputs: receiver.definition.outputs.map((o) => ({
      kpi: o.kpi,
      ...(Object.fromEntries(outputPaths.map((p) => [p, o[p] ?? ''])) as Record<OutputPath, string>),
    })),
  };
}

/**
 * The merge patch the form sends: every member, since the form shows them all (outputs is replaced as a whole
 * anyway). Text is trimmed; an empty expression is null (not used), so the API never parses a blank.
 */
export function formToPatch(values: ReceiverFormValues): ReceiverPatch {
  const orNull = (text: string) => text.trim() || null;
  return {
    name: values.name.trim(),
    filter: orNull(values.filter),
    enabled: values.enabled,
    outputs: values.outputs.map((o): Output => {
      const output: Output = { kpi: o.kpi.trim() };
      for (const p of outputPaths) output[p] = orNull(o[p]);
      return output;
    }),
  };
}

/** The names the API's problem `errors` use for the form's fields (outputs[1].value), so each error lands on its field. */
export function receiverFormFields(outputCount: number): string[] {
  const fields = ['name', 'filter', 'enabled', 'outputs'];
  for (let i = 0; i < outputCount; i++) fields.push(`outputs[${i}]`, `outputs[${i}].kpi`, ...outputPaths.map((p) => `outputs[${i}].${p}`));
  return fields;
}
