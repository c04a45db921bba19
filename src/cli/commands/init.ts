// `strata init`: set up data versioning (.dvc/, .dvcignore) in the current git repository.
import { EXIT_OK, type CliCommand } from '../cliTypes';
import { initRepository } from '../../node/versioning/initRepository';

export const initCommand: CliCommand = {
  name: 'init',
  summary: 'set up data versioning (DVC layout) in this git repository',
  options: [],
  async run(_args, io) {
    const r = await initRepository({ cwd: io.cwd });
    io.out(r.created.length ? `initialized data versioning in ${r.root} (created ${r.created.join(', ')})` : `data versioning is already set up in ${r.root}`);
    return EXIT_OK;
  },
};
