export { Dklab_Realplexor, Dklab_Realplexor as default } from './client.mjs';
