import { defineRuntimeSuite } from './suite';

defineRuntimeSuite('cpu');
