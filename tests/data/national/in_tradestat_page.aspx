<html><head><title>Export Import Data Bank</title></head><body>
<p>Department of Commerce<br>Export :: Country-wise all commodities</p><p>Values in US$ Million</p>
<table border="1"><tr><th>S.No.</th><th>HSCode</th><th>Commodity</th><th>2022-2023</th><th>2023-2024</th>
<th>%Growth</th></tr>
<tr><td>1.</td><td>03</td><td>FISH AND CRUSTACEANS.</td><td>1,234.50</td><td>1,300.25</td><td>5.33</td></tr>
<tr><td>2.</td><td>10</td><td>CEREALS.</td><td>10,987.65</td><td>9,876.54</td><td>-10.11</td></tr>
<tr><td>3.</td><td>27</td><td>MINERAL FUELS.</td><td>&nbsp;</td><td>45.00</td><td>&nbsp;</td></tr>
<tr><td>&nbsp;</td><td>&nbsp;</td><td><b>Total</b></td><td>12,222.15</td><td>11,221.79</td><td>-8.18</td></tr>
<tr><td colspan=3><b>India's Total</b></td><td>451,070.00</td><td>437,060.00</td><td>-3.11</td></tr>
</table></body></html>