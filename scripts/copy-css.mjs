// The stylesheet is shipped as written (no bundler step): apps import it as `react-liveness-session/styles.css`.
import { copyFileSync } from 'node:fs';
copyFileSync('src/styles.css', 'dist/styles.css');
