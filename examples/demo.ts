// The main job: `npm install && npm run demo`. The full demo runs against an embedded fake Replicate
// and lands with the fake (issue "A faithful fake Replicate"); until then it says so and exits 0.
console.log('replikit demo: coming with the fake Replicate (replikit/testing).');
