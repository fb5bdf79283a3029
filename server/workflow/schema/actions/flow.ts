// Steps the engine itself runs rather than an action definition: delay and
// call_workflow (the engine parks the run or starts a child run).
import { z } from 'zod';
import { templatedDuration, templatedValue, text } from '../../../core/param-schemas.js';
import { actionObject } from './action-object.js';

export const delayActionSchema = actionObject('delay', {
  duration: templatedDuration.optional().meta({ description: 'How long to wait, e.g. 10m.' }),
  until: z.string().optional().meta({ description: 'ISO 8601 time (or template) to wait until.' }),
}).superRefine((delay, ctx) => {
  if ((delay.duration === undefined) === (delay.until === undefined)) {
    ctx.addIssue({ code: 'custom', path: ['duration'], message: 'delay needs exactly one of duration (e.g. 10m) or until (an ISO time)' });
  }
});

export const callWorkflowActionSchema = actionObject('call_workflow', {
  workflow: text.meta({ description: 'Slug of the workflow to start.' }),
  data: templatedValue.optional().meta({ description: 'Becomes trigger.data of the called run.' }),
  wait: z.boolean().default(true).meta({ description: 'Wait for the called run and use its result, or start it and go on.' }),
});
