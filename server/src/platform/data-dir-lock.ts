import fs from 'node:fs';
import path from 'node:path';

/**
 * Two processes on one PGlite directory corrupt it, so the first process takes a lock file holding its PID.
 * A lock left by a process that no longer exists is taken over.
 */
export class DataDirLockedError extends Error {
  constructor(
    readonly lockPath: string,
    readonly holderPid: number,
  ) {
    super(
      `The data directory is in use by another Huikuan process (PID ${holderPid}). ` +
        `Stop that process first, or use another directory with HUIKUAN_DATA_DIR / --data-dir. Lock file: ${lockPath}`,
    );
  }
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readHolderPid(lockPath: string): number | null {
  try {
    const pid = Number.parseInt(fs.readFileSync(lockPath, 'utf8').trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

export type DataDirLock = { release(): void };

export function lockDataDir(dataDir: string): DataDirLock {
  fs.mkdirSync(dataDir, { recursive: true });
  const lockPath = path.join(dataDir, 'huikuan.lock');
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      fs.writeFileSync(lockPath, String(process.pid), { flag: 'wx' });
      let isReleased = false;
      return {
        release() {
          if (isReleased) return;
          isReleased = true;
          if (readHolderPid(lockPath) === process.pid) fs.rmSync(lockPath, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holderPid = readHolderPid(lockPath);
      if (holderPid !== null && holderPid !== process.pid && isProcessAlive(holderPid)) {
        throw new DataDirLockedError(lockPath, holderPid);
      }
      if (holderPid === process.pid) throw new DataDirLockedError(lockPath, holderPid);
      fs.rmSync(lockPath, { force: true });
    }
  }
  throw new Error(`Could not take the data directory lock at ${lockPath}`);
}
