// Respects the walls: only a type import from the protocol.
import type { HostMessage } from '../../src/shared/protocol';
export type Z = HostMessage;
