// Express from CommonJS, as a JavaScript user writes it.
const express = require('express');
const { metricsMiddleware } = require('@promenade/express');

const app = express();
app.use(metricsMiddleware());
app.get('/dogs/:id', (req, res) => res.json({ id: req.params.id }));
app.listen(Number(process.env.PORT), '127.0.0.1');
