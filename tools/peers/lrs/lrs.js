// A real Learning Record Store for the xAPI tests: Learning Locker's statement service
// (npm xapi-statements) with statements kept in memory, no MongoDB or Redis, and its test
// authentication (any Basic credentials). It validates every statement as an LRS must (400 with
// the faulty paths), stores them and answers GET /xAPI/statements. Listens on PORT.
const path = require('path');
const dir = path.join(__dirname, 'storage', String(process.pid));
Object.assign(process.env, {
  EXPRESS_PORT: process.env.PORT || '8090',
  AUTH_REPO: 'test',
  EVENTS_REPO: 'test',
  MODELS_REPO: 'memory',
  STORAGE_REPO: 'local',
  FS_LOCAL_STORAGE_DIR: dir,
  EXPRESS_MORGAN_DIRECTORY: path.join(dir, 'access'),
  WINSTON_CONSOLE_LEVEL: process.env.WINSTON_CONSOLE_LEVEL || 'info',
});
require('xapi-statements/dist/server');
