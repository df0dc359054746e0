// bottleneck ships its light build (no Redis clustering) without a declaration of its own; it is the
// same Bottleneck class as the full build's, so it takes the full build's types.
declare module 'bottleneck/light.js' {
  import Bottleneck from 'bottleneck';
  export default Bottleneck;
}
