// The JSON the CLI prints: the same wire shapes as the API.
export { presentKey } from '../http/presenters/key-presenter.js';
export { presentMember, presentTenant } from '../http/presenters/tenant-presenter.js';
