/** The device wire shapes are contract: they live in src-shared so the counter UI compiles against them too. */
export * from '../../../src-shared/contract/devices';
