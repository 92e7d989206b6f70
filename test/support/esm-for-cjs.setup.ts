// Loaded before each test file: the ES modules that CommonJS packages require()
// (see cjs-requires-esm.transform.cjs).
import * as common from '@nestjs/common';
import * as core from '@nestjs/core';

(globalThis as { __esmForCjs?: Record<string, unknown> }).__esmForCjs = { '@nestjs/common': common, '@nestjs/core': core };
