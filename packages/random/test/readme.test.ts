import { testReadmeExample } from '@skipinit/devtools/readme-example';

testReadmeExample({ dir: import.meta.dirname, name: '@skipinit/random', load: () => import('./readme-example'), lines: 4 });
