import express from 'express';
import express4 from 'express4';
import { register } from 'prom-client';
import { expect, it } from 'vitest';

it('changes nothing when imported or when a middleware is created, until a request arrives', async () => {
  const routeBefore = Object.getOwnPropertyDescriptor(express.request, 'route');
  const writeBefore = Object.getOwnPropertyDescriptor(express4.response, 'write');
  const { metricsMiddleware } = await import('@promenade/express');
  expect(await register.getMetricsAsJSON()).toEqual([]);
  const { Registry } = await import('prom-client');
  metricsMiddleware({ registry: new Registry() });
  expect(await register.getMetricsAsJSON()).toEqual([]);
  expect(Object.getOwnPropertyDescriptor(express.request, 'route')).toEqual(routeBefore);
  expect(Object.getOwnPropertyDescriptor(express4.response, 'write')).toEqual(writeBefore);
});
