package dev.facteur.processes.security;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;

/**
 * Keeps the Content-Security-Policy nonce of a Camunda webapp response to its own request.
 *
 * <p>Camunda 7.24's {@code ContentSecurityPolicyProvider} puts each response's nonce in a <em>ServletContext</em>
 * attribute ({@code org.camunda.bpm.csp.nonce}), from which its {@code ProcessEnginesFilter} reads it back into the
 * page's script tags. Every request under {@code /camunda/*} sets it, so a page served while another request runs
 * can carry that request's nonce: the browser refuses the page's scripts against its own header and Cockpit or
 * Tasklist stays a blank spinner (seen in the browser test; 28 of 36 concurrent loads mismatched). This filter, in
 * front of Camunda's, hands each request a view of the ServletContext in which that one attribute is the request's
 * own; everything else is the shared context.
 */
class WebappNonceIsolation implements Filter {

    static final String NONCE_ATTRIBUTE = "org.camunda.bpm.csp.nonce";

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (!(request instanceof HttpServletRequest http)) {
            chain.doFilter(request, response);
            return;
        }
        ServletContext isolated = isolated(request.getServletContext());
        chain.doFilter(
                new HttpServletRequestWrapper(http) {
                    @Override
                    public ServletContext getServletContext() {
                        return isolated;
                    }
                },
                response);
    }

    /** The shared context, but for the nonce attribute, which lives in this view alone. */
    static ServletContext isolated(ServletContext shared) {
        Map<String, Object> own = new HashMap<>(2);
        return (ServletContext) Proxy.newProxyInstance(
                ServletContext.class.getClassLoader(), new Class<?>[] {ServletContext.class}, (proxy, method, args) -> {
                    if (args != null && args.length > 0 && NONCE_ATTRIBUTE.equals(args[0])) {
                        switch (method.getName()) {
                            case "getAttribute" -> {
                                return own.get(NONCE_ATTRIBUTE);
                            }
                            case "setAttribute" -> {
                                own.put(NONCE_ATTRIBUTE, args[1]);
                                return null;
                            }
                            case "removeAttribute" -> {
                                own.remove(NONCE_ATTRIBUTE);
                                return null;
                            }
                            default -> {}
                        }
                    }
                    try {
                        return method.invoke(shared, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
