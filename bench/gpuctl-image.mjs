// The built CLI's self-contained bundle (dist/image/, no node_modules needed), for a machine that has only
// node and this tree: bench/verify_cli.sh runs gpuctl this way on the GPU machine.
import { main } from '../dist/image/cli.js';

await main();
