// Koa from CommonJS, as a JavaScript user writes it.
const Koa = require('koa');
const Router = require('@koa/router');
const { metricsMiddleware } = require('@promenade/koa');

const app = new Koa();
app.use(metricsMiddleware());
const router = new Router();
router.get('/dogs/:id', (ctx) => {
  ctx.body = { id: ctx.params.id };
});
app.use(router.routes());
app.listen(Number(process.env.PORT), '127.0.0.1');
