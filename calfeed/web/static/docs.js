// /docs: Swagger UI on this server's /openapi.json. A file, not an inline script, so the page's
// Content-Security-Policy can say script-src 'self'.
window.addEventListener("DOMContentLoaded", function () {
  window.ui = SwaggerUIBundle({
    url: "/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    validatorUrl: null, // no calls to validator.swagger.io
    supportedSubmitMethods: ["get", "head"],
  });
});
