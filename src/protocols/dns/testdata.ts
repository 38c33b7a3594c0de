// Hand-made DNS messages shared by the parser and session tests.
import { hex } from '../../common/hex.js';

export const QUERY_WWW = hex`
  1a 2b              # id
  01 00              # query, rd
  00 01 00 00 00 00 00 00
  03 77 77 77  07 65 78 61 6d 70 6c 65  03 63 6f 6d  00   # www.example.com
  00 01  00 01       # A, IN
`;

export const RESPONSE_WWW = hex`
  1a 2b  81 80       # response, rd ra, noerror
  00 01 00 02 00 00 00 00
  03 57 57 57  07 65 78 61 6d 70 6c 65  03 63 6f 6d  00   # WWW.example.com (case differs)
  00 01  00 01
  c0 0c  00 05 00 01  00 00 0e 10  00 06              # www... CNAME, ttl 3600
  03 63 64 6e  c0 10                                   # cdn.example.com
  c0 2d  00 01 00 01  00 00 00 3c  00 04  c0 00 02 0a  # cdn.example.com A 192.0.2.10, ttl 60
`;
