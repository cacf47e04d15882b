/* An empty kernel for `sparseroof peaks`: the median time of its launch is the launch
 * overhead, which bounds how fast the smallest layers can run. */
__kernel void peak_empty(void)
{
}
