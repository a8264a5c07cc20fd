// The drop-in <script> build: a global Dklab_Realplexor like the original's.
import { Dklab_Realplexor } from './client.mjs';

globalThis.Dklab_Realplexor = Dklab_Realplexor;
