// Preloaded (NODE_OPTIONS=--import) into the app server by the load bench only: on SIGUSR2 the server runs a full
// garbage collection and writes its memory (`process.memoryUsage()`) as JSON to $BENCH_HEAP_FILE, so the bench can
// compare what is alive after the warm-up with what is alive after the run — RSS alone follows the collector's
// sawtooth (±20% at 200 users). Nothing of this is in the app; the other processes started with it ignore it.
import { writeFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

const file = process.env.BENCH_HEAP_FILE;
if (file && process.argv.some((a) => /[\\/]next[\\/]dist[\\/]bin[\\/]next$/.test(a))) {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc');
  const write = () => writeFileSync(file, JSON.stringify({ at: Date.now(), ...process.memoryUsage() }));
  process.on('SIGUSR2', () => {
    gc();
    gc();
    write();
  });
  write(); // the file's presence tells the bench the handler is installed (SIGUSR2 would otherwise end the process)
}
