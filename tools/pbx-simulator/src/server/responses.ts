import { formatAmiMessage } from '@okc/ami';

/** Responses as manager.c writes them: Response, ActionID (when the action had one), then the rest. */

type Values = Readonly<Record<string, string | number | readonly string[] | undefined>>;

export function response(
  kind: 'Success' | 'Error' | 'Goodbye',
  actionId: string | undefined,
  fields: Values,
): string {
  return formatAmiMessage({ Response: kind, ActionID: actionId, ...fields });
}

export function success(actionId: string | undefined, message: string): string {
  return response('Success', actionId, { Message: message });
}

export function error(actionId: string | undefined, message: string): string {
  return response('Error', actionId, { Message: message });
}

/** astman_send_listack: the start of a list of events. */
export function listStart(actionId: string | undefined, message: string): string {
  return response('Success', actionId, { EventList: 'start', Message: message });
}

/** astman_send_list_complete_start/end: the event closing a list. */
export function listComplete(event: string, actionId: string | undefined, count: number): string {
  return formatAmiMessage({ Event: event, ActionID: actionId, EventList: 'Complete', ListItems: count });
}

/** A list item written with astman_append: no Privilege or Timestamp header. */
export function listItem(event: string, fields: Values): string {
  return formatAmiMessage({ Event: event, ...fields });
}
