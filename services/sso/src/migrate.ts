/** `node dist/migrate.js [down]`: applies (or reverts the last of) sso's migrations. Used by npm run migrate. */
import { migrateCli } from '@okc/persistence';
import { entities } from './entities';
import { migrations } from './migrations';

void migrateCli({ service: 'sso', entities, migrations });
