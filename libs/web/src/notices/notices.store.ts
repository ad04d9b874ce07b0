import { defineStore } from 'pinia';
import { ref } from 'vue';
import { NOTICE_TTL_MS, type Notice, type NoticeInput } from './notice';

/** Notices for the user (server failures, no network, no access), shown by the layout's NoticeStack. */
export const useNoticesStore = defineStore('okc-notices', () => {
  const notices = ref<Notice[]>([]);
  let nextId = 1;

  function dismiss(id: number): void {
    notices.value = notices.value.filter((n) => n.id !== id);
  }

  /** Shows a notice; the same message already on screen is not stacked twice. Returns the notice's id. */
  function push(input: NoticeInput): number {
    const shown = notices.value.find((n) => n.key === input.key);
    if (shown) return shown.id;
    const id = nextId++;
    notices.value = [...notices.value, { ...input, id }];
    if (!input.sticky) setTimeout(() => dismiss(id), NOTICE_TTL_MS);
    return id;
  }

  return { notices, push, dismiss };
});
