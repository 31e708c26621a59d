// The release calendar (GET /api/v1/calendar, docs/api.md): the planned publication day of
// each delivery month's release beside the release actually published for it.
import { getJson } from './api';

export type CalendarEntry = {
  covers: string; // "2026-10": the delivery month the release adds
  planned: string; // "2026-11-19"
  release: string | null; // "r000001" once published
  published: string | null; // "2026-11-26" once published
};

export const calendarApi = {
  calendar: () => getJson<CalendarEntry[]>('/api/v1/calendar'),
};
