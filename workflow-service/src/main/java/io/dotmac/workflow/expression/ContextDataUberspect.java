package io.dotmac.workflow.expression;

import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.commons.jexl3.JexlArithmetic;
import org.apache.commons.jexl3.JexlEngine;
import org.apache.commons.jexl3.JexlOperator;
import org.apache.commons.jexl3.introspection.JexlMethod;
import org.apache.commons.jexl3.introspection.JexlPropertyGet;
import org.apache.commons.jexl3.introspection.JexlPropertySet;
import org.apache.commons.jexl3.introspection.JexlUberspect;

/**
 * The introspection layer behind {@link ExpressionEngine}: it limits what an expression can reach
 * to the data in the execution context. Property access works only as a map key that is present
 * or a list index that is in range; everything else (bean getters such as {@code x.class}, methods,
 * constructors, writes) is reported to JEXL as not found, which in strict mode becomes an
 * "undefined property" error. This closes what the RESTRICTED permissions leave open, and makes
 * a misspelt key fail loudly instead of comparing as null. Operator, arithmetic, iterator and
 * class-loader lookups are delegated to a RESTRICTED uberspect.
 */
final class ContextDataUberspect implements JexlUberspect {

    private final JexlUberspect delegate;

    ContextDataUberspect(JexlUberspect delegate) {
        this.delegate = delegate;
    }

    @Override
    public JexlPropertyGet getPropertyGet(List<PropertyResolver> resolvers, Object obj, Object identifier) {
        // Resolver strategies would let JEXL fall back to bean getters and fields; data has neither.
        return getPropertyGet(obj, identifier);
    }

    @Override
    public JexlPropertyGet getPropertyGet(Object obj, Object identifier) {
        if (obj instanceof Map<?, ?> map && map.containsKey(identifier)) {
            return new MapKeyGet(identifier);
        }
        Integer index = asIndex(identifier);
        if (obj instanceof List<?> list && index != null && index < list.size()) {
            return new ListIndexGet(index);
        }
        return null;
    }

    private static Integer asIndex(Object identifier) {
        if (identifier instanceof Integer || identifier instanceof Long
                || identifier instanceof Short || identifier instanceof Byte) {
            long value = ((Number) identifier).longValue();
            if (value >= 0 && value <= Integer.MAX_VALUE) {
                return (int) value;
            }
        }
        return null;
    }

    // Writes, methods, constructors and class lookups are never granted, whatever the
    // parser let through: this layer is the last line if a feature check is ever missed.
    @Override
    public JexlPropertySet getPropertySet(
            List<PropertyResolver> resolvers, Object obj, Object identifier, Object arg) {
        return null;
    }

    @Override
    public JexlPropertySet getPropertySet(Object obj, Object identifier, Object arg) {
        return null;
    }

    @Override
    public JexlMethod getMethod(Object obj, String method, Object... args) {
        return null;
    }

    @Override
    public JexlMethod getConstructor(Object ctorHandle, Object... args) {
        return null;
    }

    @Override
    public Class<?> getClassByName(String className) {
        return null;
    }

    @Override
    public Iterator<?> getIterator(Object obj) {
        return delegate.getIterator(obj);
    }

    @Override
    public JexlArithmetic.Uberspect getArithmetic(JexlArithmetic arithmetic) {
        return delegate.getArithmetic(arithmetic);
    }

    @Override
    public JexlOperator.Uberspect getOperator(JexlArithmetic arithmetic) {
        return delegate.getOperator(arithmetic);
    }

    @Override
    public List<PropertyResolver> getResolvers(JexlOperator operator, Object obj) {
        return delegate.getResolvers(operator, obj);
    }

    @Override
    public ClassLoader getClassLoader() {
        return delegate.getClassLoader();
    }

    @Override
    public void setClassLoader(ClassLoader loader) {
        delegate.setClassLoader(loader);
    }

    @Override
    public int getVersion() {
        return delegate.getVersion();
    }

    /**
     * Reads one map key. JEXL caches this per expression node and retries it on later
     * evaluations, so the retry must check the key is still present rather than return null.
     */
    private record MapKeyGet(Object key) implements JexlPropertyGet {

        @Override
        public Object invoke(Object obj) {
            return ((Map<?, ?>) obj).get(key);
        }

        @Override
        public Object tryInvoke(Object obj, Object identifier) {
            if (obj instanceof Map<?, ?> map && Objects.equals(key, identifier) && map.containsKey(key)) {
                return map.get(key);
            }
            return JexlEngine.TRY_FAILED;
        }

        @Override
        public boolean tryFailed(Object rval) {
            return rval == JexlEngine.TRY_FAILED;
        }

        @Override
        public boolean isCacheable() {
            return true;
        }
    }

    /** Reads one list element; like {@link MapKeyGet}, its cached retry re-checks the bounds. */
    private record ListIndexGet(int index) implements JexlPropertyGet {

        @Override
        public Object invoke(Object obj) {
            return ((List<?>) obj).get(index);
        }

        @Override
        public Object tryInvoke(Object obj, Object identifier) {
            Integer requested = asIndex(identifier);
            if (obj instanceof List<?> list && requested != null && requested == index
                    && index < list.size()) {
                return list.get(index);
            }
            return JexlEngine.TRY_FAILED;
        }

        @Override
        public boolean tryFailed(Object rval) {
            return rval == JexlEngine.TRY_FAILED;
        }

        @Override
        public boolean isCacheable() {
            return true;
        }
    }
}
