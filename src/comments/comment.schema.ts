// Input rules for comments: what adding one accepts. Messages follow the contract.
import { z } from 'zod';
import { requiredText } from '../core/validation.js';

// A comment lives in a MySQL TEXT column (65,535 bytes): 16,000 characters of up to 4 bytes each fit.
export const commentInput = z.object({ body: requiredText(16_000) });
