export { instrumentPlaidFacade, type Instrumentation, type InstrumentationOptions } from './instrument.js';
