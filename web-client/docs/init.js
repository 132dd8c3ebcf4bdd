// Swagger UI on the API's own document. A file of its own, not an inline script: the page's
// Content-Security-Policy allows scripts from the API only. validatorUrl null: Swagger UI would
// otherwise send the document to validator.swagger.io.
window.ui = SwaggerUIBundle({
  url: "/openapi.json",
  dom_id: "#swagger-ui",
  deepLinking: true,
  validatorUrl: null,
  presets: [SwaggerUIBundle.presets.apis],
});
