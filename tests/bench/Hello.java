/** The JVM's floor for the benchmark: a one-shot start that does nothing but print. */
public final class Hello {
    public static void main(String[] args) {
        System.out.println("hello");
    }
}
