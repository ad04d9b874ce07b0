import { defineAppMessages } from '@okc/web';
import en from './en.json';
import ru from './ru.json';

/** This SPA's strings (under `supervisor.*`), merged over the shell's; en.json has every key of ru.json. */
export const messages = defineAppMessages({ ru, en });
