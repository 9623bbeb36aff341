import { testReadmeExample } from '@skipinit/devtools/readme-example';

testReadmeExample({ dir: import.meta.dirname, name: '@skipinit/dsl', load: () => import('./readme-example'), lines: 5 });
