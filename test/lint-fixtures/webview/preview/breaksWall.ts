// Deliberately breaks the walls: the lint test expects these lines to be reported.
import { DatasetError } from '../../src/core/formats/errors';
import { isHostMessage } from '../../src/shared/protocol';
export const y = [DatasetError, isHostMessage];
