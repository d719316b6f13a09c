import { describe, expect, it } from 'vitest';

import { problemToFormErrors } from '@/lib/problem';
import type { Receiver } from '@/lib/api/types';

import { formToPatch, receiverFormFields, receiverToForm } from './receiver-form-values';

const receiver: Receiver = {
  id: '018f0000-0000-7000-8000-000000000001',
  name: 'Deployments',
  preset: 'azure-devops-build-completed',
  hookPath: '/api/v1/hooks/018f0000-0000-7000-8000-000000000001',
  enabled: true,
  version: 3,
  createdAt: '2026-07-14T10:00:00Z',
  updatedAt: '2026-07-14T10:00:00Z',
  definition: {
    filter: "eventType == 'build.complete'",
    outputs: [
      { kpi: 'deployments', occurredAt: 'resource.finishTime', eventId: 'to_string(resource.id)' },
      { kpi: 'lead-time', occurredAt: 'resource.finishTime', durationFrom: 'resource.queueTime', durationTo: 'resource.finishTime', value: null },
    ],
  },
};

describe('the receiver edit form', () => {
  it('shows an absent expression as an empty field', () => {
    const form = receiverToForm(receiver);

    expect(form.outputs[0]).toEqual({ kpi: 'deployments', occurredAt: 'resource.finishTime', value: '', eventId: 'to_string(resource.id)', durationFrom: '', durationTo: '', filter: '' });
    expect(form.filter).toBe("eventType == 'build.complete'");
  });

  it('sends what it shows back unchanged, blanks as null', () => {
    const patch = formToPatch(receiverToForm(receiver));

    expect(patch.outputs?.[1]).toEqual({ kpi: 'lead-time', occurredAt: 'resource.finishTime', value: null, eventId: null, durationFrom: 'resource.queueTime', durationTo: 'resource.finishTime', filter: null });
    expect(patch).toMatchObject({ name: 'Deployments', enabled: true, filter: "eventType == 'build.complete'" });
  });

  it('trims text and turns a cleared filter into null', () => {
    const form = { ...receiverToForm(receiver), name: '  CD runs ', filter: '   ' };

    expect(formToPatch(form)).toMatchObject({ name: 'CD runs', filter: null });
  });

  it("puts each of the API's field errors on the output field it names", () => {
    const problem = { status: 400, title: 'Invalid', errors: { 'outputs[1].kpi': ["KPI 'x' was not found."], 'outputs[0].value': ['bad'], name: ['name is required.'] } };

    const errors = problemToFormErrors(problem, receiverFormFields(2));

    expect(errors.fields).toEqual({ 'outputs[1].kpi': "KPI 'x' was not found.", 'outputs[0].value': 'bad', name: 'name is required.' });
    expect(errors.other).toEqual([]);
  });
});
