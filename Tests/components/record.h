/* The driver program exports test_record(); components call it to log that they ran. */
void test_record(const char *what);
