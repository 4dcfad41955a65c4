import { lexicographicSortSchema } from 'graphql';
import { builder } from './builder.ts';
import './types/agency.ts';
import './types/api-token.ts';
import './types/audit-event.ts';
import './types/auth.ts';
import './types/channel.ts';
import './types/connection.ts';
import './types/lead.ts';
import './types/lead-processing.ts';
import './types/location.ts';
import './types/matching.ts';
import './types/patient.ts';
import './types/people.ts';
import './types/practice.ts';
import './types/spend.ts';
import './types/viewer.ts';

export const schema = lexicographicSortSchema(builder.toSchema());
