// Input rules for comments: what adding one accepts. Messages follow the contract.
import { z } from 'zod';
import { requiredText } from '../core/validation.js';

export const commentInput = z.object({ body: requiredText(16_000) });
